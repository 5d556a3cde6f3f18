// Command finalize is the workflow's Finalize task as a Lambda function.
package main

import "github.com/secops/eventexport/internal/app"

func main() { app.StartTask("finalize") }
