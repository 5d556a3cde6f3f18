// Command schedule runs one scheduled export when EventBridge Scheduler
// invokes it with {"schedule_id": "sch_..."}.
package main

import "github.com/secops/eventexport/internal/app"

func main() { app.StartTask("schedule") }
