// Command baseline is the yardstick of the benchmarks in ../: the smallest
// useful mcp-go v1.2.1 server, with one tool, served over stdio (the
// default) or Streamable HTTP (-http ADDR). Whatever dingtalk-mcp costs
// beyond it (start-up, memory, per-call time) is what our own code costs.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	addr := flag.String("http", "", "serve Streamable HTTP at ADDR/mcp instead of stdio")
	flag.Parse()
	s := server.NewMCPServer("baseline", "1.0.0", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo",
		mcp.WithDescription("Echo the given text back."),
		mcp.WithString("text", mcp.Required(), mcp.Description("The text to echo.")),
	), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(req.GetString("text", "")), nil
	})
	var err error
	if *addr != "" {
		fmt.Fprintf(os.Stderr, "baseline: serving http://%s/mcp\n", *addr)
		err = server.NewStreamableHTTPServer(s, server.WithStateful(true)).Start(*addr)
	} else {
		err = server.ServeStdio(s)
	}
	if err != nil {
		log.Fatal(err)
	}
}
