// Command sweep expires finished exports whose download window has passed,
// on an hourly schedule, so that deletion never waits on lifecycle timing.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/secops/eventexport/internal/app"
)

func main() {
	svc := app.MustFromEnv().API()
	lambda.Start(func(ctx context.Context, _ events.EventBridgeEvent) (map[string]int, error) {
		n, err := svc.SweepExpired(ctx)
		return map[string]int{"expired": n}, err
	})
}
