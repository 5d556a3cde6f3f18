// Command cleanup is the workflow's Cleanup task as a Lambda function.
package main

import "github.com/secops/eventexport/internal/app"

func main() { app.StartTask("cleanup") }
