package cli

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/awsenv"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/store"
)

// The apikey commands are operators' tools, like lake: they write to the
// service's table with AWS credentials from the environment (or the local
// server's). Only a key's SHA-256 is stored, so a key is shown once.
func (a *app) apikeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "apikey", Short: "Issue and revoke API keys (operators)", Annotations: withoutAPI}
	var community string
	create := &cobra.Command{
		Use:     "create",
		Short:   "Issue an API key bound to one community; it is printed once",
		Example: "  exportctl apikey create --community acme",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openStore(cmd)
			if err != nil {
				return err
			}
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return err
			}
			key := "eek_" + base64.RawURLEncoding.EncodeToString(b)
			if err := st.PutAPIKey(cmd.Context(), key, community); err != nil {
				return err
			}
			a.print(map[string]string{"api_key": key, "community": community}, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n", key)
				fmt.Fprintf(a.stderr, "API key for community %q: shown once, only its SHA-256 is stored\n", community)
			})
			return nil
		},
	}
	create.Flags().StringVar(&community, "community", "", "the community the key may read and export")
	_ = create.MarkFlagRequired("community")
	revoke := &cobra.Command{
		Use:   "revoke KEY",
		Short: "Revoke an API key",
		Args:  exactArgs(1, "the key to revoke"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openStore(cmd)
			if err != nil {
				return err
			}
			if err := st.DeleteAPIKey(cmd.Context(), args[0]); err != nil {
				return err
			}
			a.print(map[string]bool{"revoked": true}, func(w io.Writer) { fmt.Fprintln(w, "revoked") })
			return nil
		},
	}
	cmd.AddCommand(create, revoke)
	return cmd
}

func openStore(cmd *cobra.Command) (*store.Store, error) {
	if err := useLocalEnv("TABLE_NAME"); err != nil {
		return nil, err
	}
	c, err := awsenv.Load(cmd.Context())
	if err != nil {
		return nil, err
	}
	return store.New(c.DynamoDB, os.Getenv("TABLE_NAME"), export.Defaults, nil), nil
}
