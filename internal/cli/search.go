package cli

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/store"
)

func (a *app) searchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "search", Short: "Create and read search jobs"}
	var req api.JobRequest
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a search job: a query over a time range",
		Example: `  # network: denied connections from one subnet, last 24 hours
  exportctl search create --query 'event.action:connection-denied AND source.ip:10.0.0.0/8' --from now-24h --to now
  # identity: failed logins of admin accounts in November
  exportctl search create --query 'event.outcome:failure AND user.name:adm*' --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z
  # endpoint: PowerShell started on any host this week
  exportctl search create --query 'process.name:"powershell.exe"' --from -7d --to now`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := a.client().CreateJob(cmd.Context(), req)
			if err != nil {
				return err
			}
			a.print(j, func(w io.Writer) {
				fmt.Fprintf(w, "search job %s\n  query  %s\n  range  %s .. %s\n",
					j.ID, j.Query, j.Earliest.Format(time.RFC3339), j.Latest.Format(time.RFC3339))
				for _, warning := range j.Warnings {
					fmt.Fprintf(w, "  warning: %s\n", warning)
				}
				fmt.Fprintf(w, "export it: exportctl export %s --preset network --wait -o out.jsonl.gz\n", j.ID)
			})
			return nil
		},
	}
	create.Flags().StringVar(&req.Query, "query", "*", "query (Lucene syntax: field:value, AND/OR/NOT, ranges, CIDR)")
	create.Flags().StringVar(&req.Earliest, "from", "", "start, included (RFC 3339, epoch ms, now-24h, -7d)")
	create.Flags().StringVar(&req.Latest, "to", "now", "end, excluded")
	_ = create.MarkFlagRequired("from")

	get := &cobra.Command{
		Use:   "get JOB",
		Short: "Show a search job",
		Args:  exactArgs(1, "a search job id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var j export.SearchJob
			if err := a.client().Do(cmd.Context(), http.MethodGet, "/v1/search/jobs/"+args[0], nil, nil, &j); err != nil {
				return err
			}
			a.print(j, func(w io.Writer) {
				fmt.Fprintf(w, "%s  %q  %s .. %s  exports %d\n", j.ID, j.Query, j.Earliest.Format(time.RFC3339), j.Latest.Format(time.RFC3339), j.ExportCount)
			})
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the community's search jobs, newest first",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var page store.Page[*export.SearchJob]
			if err := a.client().Do(cmd.Context(), http.MethodGet, "/v1/search/jobs", nil, nil, &page); err != nil {
				return err
			}
			a.print(page, func(w io.Writer) {
				for _, j := range page.Items {
					fmt.Fprintf(w, "%s  %q  %s .. %s  exports %d\n", j.ID, j.Query, j.Earliest.Format(time.RFC3339), j.Latest.Format(time.RFC3339), j.ExportCount)
				}
			})
			return nil
		},
	}
	cmd.AddCommand(create, get, list)
	return cmd
}
