/** The overlay snapshotter: unpacked layers keyed by ChainID, returning mount descriptions. */
package io.berth.engine.snapshot;
