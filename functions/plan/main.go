// Command plan is the workflow's Plan task as a Lambda function.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/secops/eventexport/internal/app"
)

func main() {
	a, err := app.FromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(a.Steps().Handlers()["plan"])
}
