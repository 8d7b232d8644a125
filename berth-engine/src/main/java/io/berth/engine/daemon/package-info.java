/** The engine's composition root: builds the stores and services from the options, bottom-up, and closes what it built. */
package io.berth.engine.daemon;
