package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/export"
)

func TestDecode(t *testing.T) {
	big := `{"term":"*"` + strings.Repeat(" ", maxBody) + `}`
	exact := `{"term":"*"` + strings.Repeat(" ", maxBody-len(`{"term":"*"}`)) + `}`
	tests := []struct {
		name    string
		body    string
		want    JobRequest
		wantErr []string // substrings of the detail; nil for success
	}{
		{"object", `{"term":"a","earliest_time":"now-1h","latest_time":"now"}`, JobRequest{Query: "a", Earliest: "now-1h", Latest: "now"}, nil},
		{"empty body", ``, JobRequest{}, nil},
		{"blank body", " \n\t", JobRequest{}, nil},
		{"exactly 1 MiB", exact, JobRequest{Query: "*"}, nil},
		{"syntax error", `{"term": }`, JobRequest{}, []string{"not valid JSON", "at byte 10"}},
		{"syntax error later", `{"term":"a",,}`, JobRequest{}, []string{"not valid JSON", "at byte 13"}},
		{"not JSON", `term=a`, JobRequest{}, []string{"not valid JSON", "at byte 2"}},
		{"unknown member", `{"term":"a","earliest":"now-1h"}`, JobRequest{}, []string{`unknown field "earliest"`}},
		{"member of the wrong type", `{"term":5}`, JobRequest{}, []string{`member "term" must be string, not number`}},
		{"truncated", `{"term":"a"`, JobRequest{}, []string{"not valid JSON", "ends before the object is complete"}},
		{"over 1 MiB", big, JobRequest{}, []string{"larger than 1048576 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got JobRequest
			err := decode(httptest.NewRequest(http.MethodPost, "/v1/search/jobs", strings.NewReader(tt.body)), &got)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if got != tt.want {
					t.Errorf("= %+v, want %+v", got, tt.want)
				}
				return
			}
			if export.CodeOf(err) != export.CodeInvalid {
				t.Fatalf("error %v, want INVALID_REQUEST", err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			// As the client sees it: a 400 problem.
			rec, body := serveProblem(t, err, "/v1/search/jobs", nil)
			if rec.Code != http.StatusBadRequest || body["code"] != string(export.CodeInvalid) {
				t.Errorf("problem %d %v, want a 400 INVALID_REQUEST", rec.Code, body)
			}
		})
	}
}

func TestDecodeExportRequest(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{"full", `{"fields":["source.ip"],"preset":"network","presets":["identity"],"dry_run":true,"sse_customer_key":"k","sse_customer_key_md5":"m",
			"s3":{"bucket_name":"b","prefix":"p","region_name":"r","endpoint_url":"https://e","path_style":true,"access_key_id":"a","secret_access_key":"s",
			"session_token":"t","sse_customer_key":"k","sse_customer_key_md5":"m","sse_customer_algorithm":"AES256"}}`, ""},
		{"unknown nested member", `{"s3":{"bucket":"b"}}`, `unknown field "bucket"`},
		{"fields not a list", `{"fields":"source.ip"}`, `member "fields" must be`},
		{"dry_run not a boolean", `{"dry_run":"yes"}`, `member "dry_run" must be bool`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req ExportRequest
			err := decode(httptest.NewRequest(http.MethodPost, "/v1/search/jobs/job_1/exports", strings.NewReader(tt.body)), &req)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !req.DryRun || req.S3 == nil || req.S3.SSECustomerAlgorithm != "AES256" || !req.S3.PathStyle || len(req.Presets) != 1 {
					t.Errorf("decoded %+v", req)
				}
				return
			}
			if export.CodeOf(err) != export.CodeInvalid || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want INVALID_REQUEST containing %q", err, tt.wantErr)
			}
		})
	}
}
