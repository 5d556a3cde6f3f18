// Command sweep expires finished exports whose download window has passed,
// on an hourly schedule, so that deletion never waits on lifecycle timing.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/secops/eventexport/internal/app"
)

func main() {
	a, err := app.FromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	svc := a.API()
	lambda.Start(func(ctx context.Context, _ events.EventBridgeEvent) (map[string]int, error) {
		n, err := svc.SweepExpired(ctx)
		return map[string]int{"expired": n}, err
	})
}
