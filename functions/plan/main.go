// Command plan is the workflow's Plan task as a Lambda function.
package main

import "github.com/secops/eventexport/internal/app"

func main() { app.StartTask("plan") }
