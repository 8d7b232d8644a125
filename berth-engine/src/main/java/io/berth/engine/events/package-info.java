/** The engine's event bus and /events filters. */
package io.berth.engine.events;
