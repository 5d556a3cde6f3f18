package local

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
)

// LambdaEndpoint answers the Lambda Invoke API for in-process handlers, the
// way Step Functions' Lambda client calls it: a failed invocation is a 200
// with X-Amz-Function-Error and the error's type and message, so Retry and
// Catch rules match on the same names as on AWS.
func LambdaEndpoint(handlers map[string]lambda.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const prefix = "/2015-03-31/functions/"
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
		name, ok2 := strings.CutSuffix(rest, "/invocations")
		if !ok || !ok2 || r.Method != http.MethodPost {
			http.Error(w, `{"message":"not a Lambda Invoke call"}`, http.StatusNotFound)
			return
		}
		name, _ = url.PathUnescape(name)
		// Accept a bare name or a function ARN, as Lambda does.
		if i := strings.LastIndex(name, ":function:"); i >= 0 {
			name = name[i+len(":function:"):]
		}
		h := handlers[name]
		if h == nil {
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"Type": "User", "Message": "Function not found: " + name})
			return
		}
		payload, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out, err := invoke(r.Context(), h, payload)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			var lambdaErr *messages.InvokeResponse_Error
			if !errors.As(err, &lambdaErr) {
				lambdaErr = &messages.InvokeResponse_Error{Type: "Unhandled", Message: err.Error()}
			}
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.WriteHeader(http.StatusOK)
			_ = json.NewEncoder(w).Encode(map[string]string{"errorType": lambdaErr.Type, "errorMessage": lambdaErr.Message})
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
	})
}

// invoke turns a handler's panic into a Lambda error, as the runtime does.
func invoke(ctx context.Context, h lambda.Handler, payload []byte) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &messages.InvokeResponse_Error{Type: "Runtime.Panic", Message: "handler panicked"}
		}
	}()
	return h.Invoke(context.WithoutCancel(ctx), payload)
}
