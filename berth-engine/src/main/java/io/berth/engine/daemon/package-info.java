/** The service layer the API routers call, and the engine's composition root. */
package io.berth.engine.daemon;
