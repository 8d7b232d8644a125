/** {@code berthd}: flags, daemon.json, startup and shutdown; wires the engine to the API server. */
package io.berth.server;
