package delivery_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
)

func TestEndpointPolicy(t *testing.T) {
	p := delivery.EndpointPolicy{
		Platform: []string{"127.0.0.1:9000", "s3.platform.example:443"},
		Resolve: func(_ context.Context, host string) ([]net.IPAddr, error) {
			switch host {
			case "metadata.example":
				return []net.IPAddr{{IP: net.ParseIP("169.254.169.254")}}, nil
			case "s3.wasabisys.com", "s3.platform.example":
				return []net.IPAddr{{IP: net.ParseIP("203.0.113.10")}}, nil
			case "localhost":
				return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
			}
			return nil, errors.New("no such host")
		},
	}
	ok := []string{"", "https://s3.wasabisys.com", "http://127.0.0.1:9100", "http://localhost:9100", "https://[::1]:9000"}
	for _, e := range ok {
		if err := p.Check(context.Background(), e); err != nil {
			t.Errorf("%q refused: %v", e, err)
		}
	}
	refused := map[string]string{
		"http://s3.wasabisys.com":       "plain HTTP",
		"http://169.254.169.254/latest": "metadata",
		"https://metadata.example":      "metadata",
		"http://[fd00:ec2::254]":        "metadata",
		"http://127.0.0.1:9000":         "platform's own storage",
		"https://s3.platform.example":   "platform's own storage",
		"https://169.254.10.1":          "link-local",
		"ftp://example.com":             "not a URL",
		"https://nowhere.invalid":       "does not resolve",
		"s3.wasabisys.com":              "not a URL",
	}
	for e, want := range refused {
		err := p.Check(context.Background(), e)
		var xe *export.Error
		if !errors.As(err, &xe) || xe.Code != export.CodeInvalid {
			t.Errorf("%q: got %v, want an INVALID_REQUEST about %s", e, err, want)
			continue
		}
		if !strings.Contains(xe.Detail, want) {
			t.Errorf("%q: detail %q does not mention %q", e, xe.Detail, want)
		}
	}
}
