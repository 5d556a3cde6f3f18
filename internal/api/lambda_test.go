package api

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// The API function serves this same handler behind API Gateway's HTTP API
// (payload format 2.0): the sample event of events/api.json, pointed at
// routes that need no store, goes through the same adapter.
func TestHandlerBehindAPIGatewayPayloadV2(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "events", "api.json"))
	if err != nil {
		t.Fatal(err)
	}
	adapter := httpadapter.NewV2((&Service{}).Handler())
	for path, want := range map[string]int{"/v1/openapi.json": 200, "/v1/quota": 401, "/v1/nowhere": 404} {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		ev.RawPath, ev.RequestContext.HTTP.Path = path, path
		if want == 401 {
			delete(ev.Headers, "authorization")
		}
		resp, err := adapter.ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Errorf("%s: HTTP %d, want %d: %s", path, resp.StatusCode, want, resp.Body)
		}
		if want != 200 && !strings.Contains(resp.Headers["Content-Type"], "application/problem+json") {
			t.Errorf("%s: content type %q", path, resp.Headers["Content-Type"])
		}
	}
}
