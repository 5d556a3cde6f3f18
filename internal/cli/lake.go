package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/awsenv"
	"github.com/secops/eventexport/internal/lake"
	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/synth"
)

// The lake commands are operators' tools: they write to the event lake
// bucket directly with AWS credentials from the environment (or the local
// server's), not through the API.
func (a *app) lakeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "lake", Short: "Load events into the event lake (operators)", Annotations: withoutAPI}
	var community string
	imp := &cobra.Command{
		Use:     "import FILE",
		Short:   "Import a .jsonl or .jsonl.gz file, partitioned by each event's @timestamp",
		Example: "  exportctl lake import --community acme events.jsonl.gz",
		Args:    exactArgs(1, "a file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := openLake(cmd)
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			defer f.Close()
			started := time.Now()
			res, err := l.Import(cmd.Context(), community, f)
			if err != nil {
				return err
			}
			a.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "imported %d of %d lines into %d objects in %s; skipped %d without @timestamp, %d not JSON\n",
					res.Imported, res.Lines, res.Objects, round(time.Since(started)), res.NoTimestamp, res.Invalid)
			})
			return nil
		},
	}
	imp.Flags().StringVar(&community, "community", "", "community the events belong to")
	_ = imp.MarkFlagRequired("community")

	var from, to string
	var events int
	var seed int64
	seedCmd := &cobra.Command{
		Use:     "seed",
		Short:   "Generate realistic synthetic ECS events (network, authentication, endpoint)",
		Example: "  exportctl lake seed --community demo --from 2026-11-23T00:00:00Z --to 2026-11-30T00:00:00Z --events 1000000",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := openLake(cmd)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			// The API's time parsing accepts the same forms as search create.
			job, err := api.ParseRange(from, to, now)
			if err != nil {
				return usageError{err}
			}
			started := time.Now()
			res, err := l.Seed(cmd.Context(), community, synth.Options{Seed: seed, From: job[0], To: job[1], Events: events})
			if err != nil {
				return err
			}
			a.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "seeded %d events for community %s in %d objects in %s\n", res.Imported, community, res.Objects, round(time.Since(started)))
			})
			return nil
		},
	}
	seedCmd.Flags().StringVar(&community, "community", "", "community to fill")
	seedCmd.Flags().StringVar(&from, "from", "", "first instant (RFC 3339, now-7d...)")
	seedCmd.Flags().StringVar(&to, "to", "now", "end, excluded")
	seedCmd.Flags().IntVar(&events, "events", 1_000_000, "how many events")
	seedCmd.Flags().Int64Var(&seed, "seed", 1, "random seed (the same seed gives the same events)")
	_ = seedCmd.MarkFlagRequired("community")
	_ = seedCmd.MarkFlagRequired("from")

	var probeFrom, probeTo string
	count := &cobra.Command{
		Use:   "count",
		Short: "Count a community's events in a range from the lake's metadata",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := openLake(cmd)
			if err != nil {
				return err
			}
			r, err := api.ParseRange(probeFrom, probeTo, time.Now().UTC())
			if err != nil {
				return usageError{err}
			}
			objs, err := l.Objects(cmd.Context(), community, r[0], r[1])
			if err != nil {
				return err
			}
			var n int64
			for _, o := range objs {
				n += o.Events
			}
			a.print(map[string]any{"events": n, "objects": len(objs)}, func(w io.Writer) {
				fmt.Fprintf(w, "%d events in %d objects\n", n, len(objs))
			})
			return nil
		},
	}
	count.Flags().StringVar(&community, "community", "", "community")
	count.Flags().StringVar(&probeFrom, "from", "", "start")
	count.Flags().StringVar(&probeTo, "to", "now", "end")
	_ = count.MarkFlagRequired("community")
	_ = count.MarkFlagRequired("from")
	cmd.AddCommand(imp, seedCmd, count)
	return cmd
}

func openLake(cmd *cobra.Command) (*lake.Lake, error) {
	if err := useLocalEnv("LAKE_BUCKET"); err != nil {
		return nil, err
	}
	c, err := awsenv.Load(cmd.Context())
	if err != nil {
		return nil, err
	}
	return &lake.Lake{S3: c.S3, Bucket: os.Getenv("LAKE_BUCKET")}, nil
}

// useLocalEnv takes the AWS settings of a running local server when the
// environment does not name the resource (need) an operator command uses.
func useLocalEnv(need string) error {
	if os.Getenv(need) != "" {
		return nil
	}
	st, err := local.ReadState()
	if err != nil {
		return usagef("no %s in the environment and no local server running (make run starts one)", need)
	}
	for k, v := range st.Env {
		if os.Getenv(k) == "" {
			os.Setenv(k, v)
		}
	}
	return nil
}
