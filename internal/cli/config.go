package cli

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/secops/eventexport/internal/local"
)

// config comes from flags, then the environment, then the config file,
// then a local server's state file, in that order.
type config struct {
	APIURL string `json:"api_url"`
	APIKey string `json:"api_key"`
	CAFile string `json:"ca_file"`
	File   string `json:"-"`
}

func defaultConfigFile() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "exportctl", "config.json")
}

// fill sets *dst to v unless a source that takes precedence already set it.
func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func (c *config) resolve() error {
	fill(&c.APIURL, os.Getenv("EXPORT_API_URL"))
	fill(&c.APIKey, os.Getenv("EXPORT_API_KEY"))
	fill(&c.CAFile, os.Getenv("EXPORT_CA_FILE"))
	file := c.File
	if file == "" {
		file = defaultConfigFile()
	}
	if b, err := os.ReadFile(file); err == nil {
		var fromFile config
		if err := json.Unmarshal(b, &fromFile); err != nil {
			return usagef("config file %s is not valid JSON: %v", file, err)
		}
		fill(&c.APIURL, fromFile.APIURL)
		fill(&c.APIKey, fromFile.APIKey)
		fill(&c.CAFile, fromFile.CAFile)
	} else if c.File != "" {
		return usagef("config file %s: %v", c.File, err)
	}
	if st, err := local.ReadState(); err == nil {
		fill(&c.APIURL, st.APIURL)
		fill(&c.APIKey, st.APIKey)
		fill(&c.CAFile, st.CAFile)
	}
	return nil
}

func (c *config) httpClient() *http.Client {
	hc := &http.Client{Timeout: 10 * time.Minute}
	if c.CAFile == "" {
		return hc
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return hc
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AppendCertsFromPEM(pem)
	hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return hc
}

func (c *config) require() error {
	if c.APIURL == "" {
		return usagef("no API URL: pass --api-url, set EXPORT_API_URL, or start the local server with make run")
	}
	if c.APIKey == "" {
		return usagef("no API key: pass --api-key or set EXPORT_API_KEY")
	}
	return nil
}
