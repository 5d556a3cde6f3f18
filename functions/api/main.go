// Command api serves the HTTP API behind an API Gateway HTTP API (payload v2).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/secops/eventexport/internal/app"
)

func main() {
	lambda.Start(httpadapter.NewV2(app.MustFromEnv().API().Handler()).ProxyWithContext)
}
