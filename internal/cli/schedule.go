package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/store"
)

func (a *app) scheduleCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "schedule", Short: "Exports on a timetable (EventBridge Scheduler)"}
	var req api.ScheduleRequest
	var fieldsFlag, keyFile string
	var noSSEC bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a schedule; point an EventBridge Scheduler schedule at the schedule function with its id",
		Example: `  # every morning, yesterday's denied connections into your bucket
  exportctl schedule create --name "daily denied" --query 'event.action:connection-denied' --window 24h \
      --preset network --s3-bucket soc-exports --s3-endpoint https://s3.wasabisys.com \
      --s3-access-key AKIA... --s3-secret-key ...`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if req.Fields, err = fieldList(fieldsFlag); err != nil {
				return err
			}
			s3FromEnv(req.S3)
			if req.S3.Bucket == "" {
				req.S3 = nil
			}
			savedKey := ""
			if !noSSEC {
				k, err := keys.Generate()
				if err != nil {
					return err
				}
				if keyFile == "" {
					keyFile = strings.Map(func(r rune) rune {
						if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
							return r
						}
						return '-'
					}, strings.ToLower(req.Name)) + ".key"
				}
				if err := os.WriteFile(keyFile, []byte(k.Base64()+"\n"), 0o600); err != nil {
					return err
				}
				savedKey, _ = filepath.Abs(keyFile)
				req.SSECustomerKey, req.SSECustomerKeyMD5 = k.Base64(), k.MD5()
			}
			var sc export.Schedule
			if err := a.client().Do(cmd.Context(), http.MethodPost, "/v1/schedules", nil, req, &sc); err != nil {
				if savedKey != "" {
					os.Remove(savedKey)
				}
				return err
			}
			a.print(map[string]any{"schedule": sc, "key_file": savedKey}, func(w io.Writer) {
				fmt.Fprintf(w, "schedule %s: %q every %s -> %s\n", sc.ID, sc.Query, sc.Window, sc.Destination)
				if savedKey != "" {
					fmt.Fprintf(w, "SSE-C key saved to %s (mode 0600): every run's file is encrypted with it\n", savedKey)
				}
				fmt.Fprintf(w, "EventBridge Scheduler target input: {\"schedule_id\": %q}\n", sc.ID)
			})
			return nil
		},
	}
	req.S3 = &api.S3Request{}
	fl := create.Flags()
	fl.StringVar(&req.Name, "name", "", "what the schedule exports")
	fl.StringVar(&req.Query, "query", "*", "query")
	fl.StringVar(&req.Window, "window", "24h", "the window each run exports, 1h to 31d")
	fl.StringVar(&fieldsFlag, "fields", "", "comma-separated fields (env EXPORT_FIELDS)")
	fl.StringSliceVar(&req.Presets, "preset", nil, "field preset (repeatable)")
	fl.StringVar(&keyFile, "key-file", "", "where to save the SSE-C key (default NAME.key)")
	fl.BoolVar(&noSSEC, "no-sse-c", false, "customer bucket only: write without SSE-C")
	addS3Flags(fl, req.S3)
	_ = create.MarkFlagRequired("name")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the community's schedules",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var page store.Page[*export.Schedule]
			if err := a.client().Do(cmd.Context(), http.MethodGet, "/v1/schedules", nil, nil, &page); err != nil {
				return err
			}
			a.print(page, func(w io.Writer) {
				for _, sc := range page.Items {
					last := "never run"
					if !sc.LastRunAt.IsZero() {
						last = "last run " + sc.LastRunAt.Format(time.RFC3339) + " (" + sc.LastExport + ")"
					}
					fmt.Fprintf(w, "%s  %-20q every %-4s -> %s  %s\n", sc.ID, sc.Name, sc.Window, sc.Destination, last)
				}
			})
			return nil
		},
	}
	del := &cobra.Command{
		Use:   "delete SCHEDULE",
		Short: "Delete a schedule and the secrets it keeps",
		Args:  exactArgs(1, "a schedule id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sc export.Schedule
			if err := a.client().Do(cmd.Context(), http.MethodDelete, "/v1/schedules/"+args[0], nil, nil, &sc); err != nil {
				return err
			}
			a.print(sc, func(w io.Writer) {
				fmt.Fprintf(w, "deleted schedule %s; delete its EventBridge Scheduler schedule too\n", sc.ID)
			})
			return nil
		},
	}
	cmd.AddCommand(create, list, del)
	return cmd
}
