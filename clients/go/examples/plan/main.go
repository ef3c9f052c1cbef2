// Command plan asks HorizonScale for a capacity plan of one pool and applies
// the rule an operator uses to act on it: auto-apply when the plan's
// confidence reaches a threshold and no anomaly was detected; otherwise hold
// the plan for a human to review.
//
// It prints the plan, then "decision: apply N workers" or "decision: hold
// for review (reason)", and exits 0. A refused call exits 1 after printing
// the status code, the ErrorInfo reason and the fields at fault; bad flags
// exit 2.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	horizonscalev1 "horizonscale.dev/client/gen/horizonscale/v1"
	"horizonscale.dev/client/hsclient"
)

func main() { os.Exit(run()) }

func run() int {
	target := flag.String("target", "127.0.0.1:50051", "the server's gRPC address, HOST:PORT")
	tlsCA := flag.String("tls_ca", "", "PEM CA certificates of the server's certificate; empty: plaintext")
	tokenFile := flag.String("token_file", "", "file whose first line is the bearer token; empty: none")
	queue := flag.String("queue", "checkout", "the queue (pool) to plan")
	arrivalRate := flag.Float64("arrival_rate", 100, "arrival rate now, in jobs per second")
	serviceTime := flag.Float64("service_time", 0.1, "mean service time of one job, in seconds")
	workers := flag.Int("workers", 10, "workers running now")
	utilization := flag.Float64("utilization", -1, "observed utilization of the workers now, a fraction in [0, 1]; "+
		"negative: not reported")
	history := flag.String("history", "", "earlier arrival rates (e.g. from monitoring), oldest first, "+
		"comma-separated, one per --history_step up to now, each with the other metrics of now; "+
		"empty: the server's stored history only")
	historyStep := flag.Duration("history_step", 5*time.Minute, "time between two --history rates")
	p95 := flag.Float64("p95", 0.5, "SLO: 95th percentile of the response time, in seconds; 0: none")
	threshold := flag.Float64("confidence_threshold", 0.8, "least plan confidence that is applied automatically")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline of the call")
	flag.Parse()
	if flag.NArg() != 0 {
		return usageError(fmt.Errorf("unexpected argument %q", flag.Arg(0)))
	}

	now := time.Now()
	current := &horizonscalev1.QueueMetrics{
		ObserveTime:            timestamppb.New(now),
		ArrivalRatePerSecond:   *arrivalRate,
		MeanServiceTimeSeconds: *serviceTime,
		CurrentWorkers:         int32(*workers),
	}
	if *utilization >= 0 {
		current.Utilization = utilization
	}
	request := &horizonscalev1.GeneratePlanRequest{Queue: *queue, CurrentMetrics: current}
	if *history != "" {
		rates, err := parseRates(*history)
		if err != nil {
			return usageError(fmt.Errorf("--history: %w", err))
		}
		for i, rate := range rates {
			sample := proto.Clone(current).(*horizonscalev1.QueueMetrics)
			sample.ObserveTime = timestamppb.New(now.Add(-time.Duration(len(rates)-i) * *historyStep))
			sample.ArrivalRatePerSecond = rate
			request.History = append(request.History, sample)
		}
	}
	if *p95 > 0 {
		request.Slo = &horizonscalev1.Slo{P95LatencySeconds: p95}
	}

	connection, err := hsclient.Dial(*target, hsclient.Options{TLSCA: *tlsCA, TokenFile: *tokenFile})
	if err != nil {
		return usageError(err)
	}
	defer connection.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	response, err := horizonscalev1.NewCapacityPlannerServiceClient(connection).GeneratePlan(ctx, request)
	if err != nil {
		reportFailure(err)
		return 1
	}

	printPlan(response)
	if apply, reason := decide(response, *threshold); apply {
		fmt.Printf("decision: apply %d workers\n", response.GetPlan().GetTargetWorkers())
	} else {
		fmt.Printf("decision: hold for review (%s)\n", reason)
	}
	return 0
}

// decide is the operator's rule: apply when the plan's confidence is at
// least threshold and the anomaly check did not fire; otherwise say why not.
func decide(response *horizonscalev1.GeneratePlanResponse, threshold float64) (apply bool, reason string) {
	var reasons []string
	if confidence := response.GetPlan().GetConfidence(); confidence < threshold {
		reasons = append(reasons, fmt.Sprintf("confidence %.2f below the threshold %.2f", confidence, threshold))
	}
	if anomaly := response.GetAnomaly(); anomaly.GetDetected() {
		reasons = append(reasons, "anomaly: "+anomaly.GetDescription())
	}
	return len(reasons) == 0, strings.Join(reasons, "; ")
}

func printPlan(response *horizonscalev1.GeneratePlanResponse) {
	plan := response.GetPlan()
	fmt.Printf("plan %s of queue %s\n", plan.GetPlanId(), plan.GetQueue())
	fmt.Printf("  workers: %d -> %d (urgency %s, SLO achievable: %t)\n", plan.GetCurrentWorkers(),
		plan.GetTargetWorkers(), strings.TrimPrefix(plan.GetUrgency().String(), "PLAN_URGENCY_"),
		plan.GetSloAchievable())
	fmt.Printf("  confidence: %.2f\n", plan.GetConfidence())
	fmt.Printf("  rationale: %s\n", plan.GetRationale())
	for _, step := range plan.GetSteps() {
		fmt.Printf("  step %d at %s: %s %d -> %d\n", step.GetSequence(),
			step.GetScheduleTime().AsTime().Format(time.RFC3339),
			strings.TrimPrefix(step.GetAction().String(), "SCALING_ACTION_"),
			step.GetFromWorkers(), step.GetToWorkers())
	}
	for _, warning := range plan.GetWarnings() {
		fmt.Printf("  warning %s: %s\n", warning.GetReason(), warning.GetMessage())
	}
	fmt.Printf("  risk: %s\n", response.GetRisk().GetSummary())
	if anomaly := response.GetAnomaly(); anomaly.GetDetected() {
		fmt.Printf("  anomaly: %s (z-score %.1f, spike ratio %.1f)\n", anomaly.GetDescription(),
			anomaly.GetZScore(), anomaly.GetSpikeRatio())
	} else {
		fmt.Println("  anomaly: none")
	}
}

// reportFailure prints a refused call: its code, message, ErrorInfo reason
// and field violations.
func reportFailure(err error) {
	s := status.Convert(err)
	fmt.Fprintf(os.Stderr, "GeneratePlan failed: %s: %s\n", code.Code_name[int32(s.Code())], s.Message())
	details := hsclient.DetailsOf(s)
	if details.Reason != "" {
		fmt.Fprintf(os.Stderr, "reason: %s\n", details.Reason)
	}
	for _, violation := range details.Violations {
		fmt.Fprintf(os.Stderr, "field %s: %s\n", violation.GetField(), violation.GetDescription())
	}
}

func parseRates(list string) ([]float64, error) {
	var rates []float64
	for _, field := range strings.Split(list, ",") {
		rate, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
		if err != nil {
			return nil, err
		}
		rates = append(rates, rate)
	}
	return rates, nil
}

// usageError prints err and returns the exit code of bad flags.
func usageError(err error) int {
	fmt.Fprintf(os.Stderr, "plan: %v\n", err)
	return 2
}
