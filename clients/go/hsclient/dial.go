// Package hsclient connects to a HorizonScale server the way the project's
// command-line clients do (clients/connection: plaintext or TLS trusting a
// CA, and a bearer token read from a file) and reads the error details the
// server attaches to a refused call.
package hsclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Options says how to reach the server.
type Options struct {
	// TLSCA is a PEM file of the CA certificates that sign the server's
	// certificate; empty: plaintext.
	TLSCA string
	// TokenFile is a file whose first line is a bearer token, sent with
	// every call (for servers with an --access_file); empty: no token.
	TokenFile string
}

// Dial opens a connection to target (HOST:PORT). The connection is made
// lazily: an unreachable server shows as UNAVAILABLE on the first call. A
// file that cannot be read, or holds no certificate or no token, is an error
// naming its flag.
func Dial(target string, options Options) (*grpc.ClientConn, error) {
	var dialOptions []grpc.DialOption
	if options.TLSCA == "" {
		dialOptions = append(dialOptions, grpc.WithInsecure())
	} else {
		pem, err := os.ReadFile(options.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("--tls_ca: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tls_ca: %s holds no PEM certificate", options.TLSCA)
		}
		dialOptions = append(dialOptions, grpc.WithTransportCredentials(
			credentials.NewTLS(&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12})))
	}
	if options.TokenFile != "" {
		content, err := os.ReadFile(options.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("--token_file: %w", err)
		}
		token := strings.TrimSpace(strings.SplitN(string(content), "\n", 2)[0])
		if token == "" {
			return nil, fmt.Errorf("--token_file: %s holds no token on its first line", options.TokenFile)
		}
		dialOptions = append(dialOptions, grpc.WithPerRPCCredentials(bearerToken(token)))
	}
	return grpc.Dial(target, dialOptions...)
}

// bearerToken sends "authorization: Bearer <token>" with every call.
type bearerToken string

func (t bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

// RequireTransportSecurity is false so that, like the project's other
// clients, a token also goes to a plaintext server (the loopback
// development setup); grpc-go would otherwise refuse every call made
// without TLS. Beyond loopback, use TLSCA.
func (bearerToken) RequireTransportSecurity() bool { return false }
