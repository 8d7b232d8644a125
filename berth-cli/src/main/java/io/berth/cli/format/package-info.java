/** Docker-style output: a Go text/template subset, Go value printing, tabwriter tables, go-units humanizing. */
package io.berth.cli.format;
