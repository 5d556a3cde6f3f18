package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/local"
)

// TestSecretsAreNeverKeptOrLogged runs a platform export with the client's
// key and a customer-bucket export with a secret, then looks for both
// everywhere the service writes: the table, the workflow's payloads, the
// logs of the service and of the stand-ins.
func TestSecretsAreNeverKeptOrLogged(t *testing.T) {
	key, _ := keys.Generate()
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(2*time.Hour))
	platform, _ := runExport(t, cli, j.ID, api.ExportRequest{SSECustomerKey: key.Base64(), SSECustomerKeyMD5: key.MD5()})

	_, b := customerBucket(t)
	custKey, _ := keys.Generate()
	j2 := newJob(t, cli, "*", seedFrom, seedFrom.Add(2*time.Hour))
	customer, _ := runExport(t, cli, j2.ID, api.ExportRequest{S3: &api.S3Request{
		Bucket: b, EndpointURL: customerS3.S3, AccessKeyID: customerAccess, SecretAccessKey: customerSecret,
		SSECustomerKey: custKey.Base64(), SSECustomerKeyMD5: custKey.MD5(),
	}})
	for _, e := range []*export.Export{platform, customer} {
		if e.Status != export.Finished {
			t.Fatalf("%s: %s %s", e.ID, e.Status, e.Error)
		}
	}
	secrets := map[string]string{
		"platform key":             key.Base64(),
		"platform key (raw bytes)": string(key[:]),
		"customer key":             custKey.Base64(),
		"customer secret":          customerSecret,
	}
	var places = map[string]string{}

	items, err := srv.App.Clients.DynamoDB.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(local.Table)})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(items.Items)
	places["the DynamoDB table"] = string(raw)
	for _, it := range items.Items {
		if pk, _ := json.Marshal(it["pk"]); strings.Contains(string(pk), platform.ID) || strings.Contains(string(pk), customer.ID) {
			for _, attr := range []string{"wrapped_key", "wrapped_credentials"} {
				if _, kept := it[attr]; kept {
					t.Errorf("%s still holds %s after it ended", pk, attr)
				}
			}
		}
	}
	for _, e := range []*export.Export{platform, customer} {
		stored, _ := srv.App.Store.Export(context.Background(), e.ID)
		out, err := srv.App.Clients.SFN.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: &stored.ExecutionARN})
		if err != nil {
			t.Fatal(err)
		}
		places["the workflow input and output of "+e.ID] = aws.ToString(out.Input) + aws.ToString(out.Output)
	}
	places["the service's log"] = serviceLog.String()
	stackLog, _ := os.ReadFile(stack.LogFile())
	places["the stand-ins' log"] = string(stackLog)

	for where, text := range places {
		if text == "" && where != "the service's log" {
			t.Errorf("nothing read from %s", where)
		}
		for name, secret := range secrets {
			if strings.Contains(text, secret) || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte(secret))) {
				t.Errorf("the %s appears in %s", name, where)
			}
		}
	}
}
