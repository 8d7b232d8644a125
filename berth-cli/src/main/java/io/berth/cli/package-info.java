/** {@code berth}: docker-compatible commands, flags and output over the Engine API. */
package io.berth.cli;
