// Command encode is the workflow's Encode task as a Lambda function.
package main

import "github.com/secops/eventexport/internal/app"

func main() { app.StartTask("encode") }
