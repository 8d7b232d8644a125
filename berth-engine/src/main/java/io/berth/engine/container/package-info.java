/** Containers: their records and names, the state machine, and the lifecycle over the runtime driver. */
package io.berth.engine.container;
