/** The content-addressed blob store with its ingest area. */
package io.berth.engine.content;
