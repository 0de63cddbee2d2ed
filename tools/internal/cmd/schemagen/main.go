// Command schemagen writes the tool files and the README's tool table from
// the tool declarations (see package schemagen). go generate ./... runs it;
// it finds the repository's root from the directory it runs in.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dingtalk-mcp/dingtalk-mcp/tools/internal/schemagen"
)

func main() {
	root, err := moduleRoot()
	if err == nil {
		err = schemagen.Write(root)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

// moduleRoot returns the nearest directory, from the working one up, that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above it")
		}
		dir = parent
	}
}
