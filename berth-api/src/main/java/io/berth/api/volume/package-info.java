/** Volume wire types of the Docker Engine API: the volume, create request, list and prune responses. */
package io.berth.api.volume;
