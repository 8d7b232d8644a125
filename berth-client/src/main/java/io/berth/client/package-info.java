/** A small client of the Docker Engine API over a unix socket or TCP, with its own HTTP/1.1 codec. */
package io.berth.client;
