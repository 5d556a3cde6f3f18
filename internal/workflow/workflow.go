// Package workflow starts, stops and describes an export's Step Functions
// execution. The execution is named after the export, so starting twice is
// harmless and the execution can always be found from the export.
package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// SFN is the part of the Step Functions API the service uses.
type SFN interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, opts ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	StopExecution(ctx context.Context, in *sfn.StopExecutionInput, opts ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error)
}

// Input is the whole state input: an id, never a secret or event data.
type Input struct {
	ExportID string `json:"export_id"`
}

// Runner runs exports on one state machine.
type Runner struct {
	SFN             SFN
	StateMachineARN string
}

// Start begins an export's execution and returns its ARN.
func (r Runner) Start(ctx context.Context, exportID string) (string, error) {
	in, _ := json.Marshal(Input{ExportID: exportID})
	out, err := r.SFN.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: &r.StateMachineARN,
		Name:            aws.String(exportID),
		Input:           aws.String(string(in)),
	})
	if err != nil {
		return "", fmt.Errorf("start workflow: %w", err)
	}
	return aws.ToString(out.ExecutionArn), nil
}

// Stop ends a running execution; one that already ended is fine.
func (r Runner) Stop(ctx context.Context, executionARN, cause string) error {
	if executionARN == "" {
		return nil
	}
	_, err := r.SFN.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: &executionARN, Cause: aws.String(cause), Error: aws.String("Cancelled")})
	var missing *types.ExecutionDoesNotExist
	if errors.As(err, &missing) {
		return nil
	}
	return err
}
