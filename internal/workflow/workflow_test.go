package workflow

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

type fakeSFN struct {
	started *sfn.StartExecutionInput
	stopErr error
}

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.started = in
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String("arn:aws:states:us-east-1:1:execution:export:" + *in.Name)}, nil
}

func (f *fakeSFN) StopExecution(context.Context, *sfn.StopExecutionInput, ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error) {
	return &sfn.StopExecutionOutput{}, f.stopErr
}

func TestTheExecutionCarriesOnlyTheExportID(t *testing.T) {
	f := &fakeSFN{}
	arn, err := Runner{SFN: f, StateMachineARN: "arn:sm"}.Start(context.Background(), "exp_1")
	if err != nil || arn == "" {
		t.Fatal(err)
	}
	if *f.started.Name != "exp_1" {
		t.Fatalf("execution named %q: it must be the export, so a repeated start is refused", *f.started.Name)
	}
	var in map[string]any
	if err := json.Unmarshal([]byte(*f.started.Input), &in); err != nil || len(in) != 1 || in["export_id"] != "exp_1" {
		t.Fatalf("input %s: only the export id may travel", *f.started.Input)
	}
}

func TestStoppingAnEndedExecutionIsFine(t *testing.T) {
	r := Runner{SFN: &fakeSFN{stopErr: &types.ExecutionDoesNotExist{}}}
	if err := r.Stop(context.Background(), "arn:x", "cancelled"); err != nil {
		t.Fatal(err)
	}
	if err := r.Stop(context.Background(), "", "cancelled"); err != nil {
		t.Fatal(err)
	}
}
