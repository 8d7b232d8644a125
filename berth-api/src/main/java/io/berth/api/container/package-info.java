/**
 * Docker Engine API wire types for containers: the {@code POST /containers/create} body and the
 * {@code HostConfig}/{@code NetworkingConfig} it carries (also shown by inspect). Records, no logic.
 * Numbers and flags Docker distinguishes as absent or zero are boxed and nullable.
 */
package io.berth.api.container;
