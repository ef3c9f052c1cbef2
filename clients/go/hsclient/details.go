package hsclient

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// Details is what the server says about a refused call beyond its code and
// message (README "Errors"): the google.rpc.ErrorInfo reason and the
// google.rpc.BadRequest field violations.
type Details struct {
	// Reason is ErrorInfo.reason (e.g. INVALID_METRICS); empty when the
	// status carries no ErrorInfo.
	Reason string
	// Violations name the request fields at fault (paths such as
	// "current_metrics.arrival_rate_per_second") and what is wrong with each.
	Violations []*errdetails.BadRequest_FieldViolation
}

// DetailsOf reads the details of s (nil or without details: none).
// Details of other types, and any that cannot be decoded, are skipped.
func DetailsOf(s *status.Status) Details {
	var details Details
	for _, detail := range s.Details() {
		switch detail := detail.(type) {
		case *errdetails.ErrorInfo:
			details.Reason = detail.GetReason()
		case *errdetails.BadRequest:
			details.Violations = append(details.Violations, detail.GetFieldViolations()...)
		}
	}
	return details
}
