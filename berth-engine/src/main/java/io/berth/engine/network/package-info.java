/**
 * Docker's networking over the bridge driver, one job per class: the records ({@link
 * io.berth.engine.network.NetworkStore}), IPAM ({@link io.berth.engine.network.Ipam}), new records
 * ({@link io.berth.engine.network.NetworkDefinitions}), bridges and Berth's iptables chains
 * ({@link io.berth.engine.network.Bridges}, {@link io.berth.engine.network.Firewall}), containers'
 * attachments and their kernel plumbing ({@link io.berth.engine.network.Attachments},
 * {@link io.berth.engine.network.Plumbing}), published ports ({@link io.berth.engine.network.PortSpecs},
 * {@link io.berth.engine.network.PortPublisher}, {@link io.berth.engine.network.PortProxy}), the embedded
 * DNS on 127.0.0.11 in each container on a user-defined network ({@link io.berth.engine.network.ContainerDns},
 * {@link io.berth.engine.network.DnsServer}), legacy links ({@link io.berth.engine.network.Links}), the views
 * ({@link io.berth.engine.network.NetworkViews}), the hooks the container lifecycle calls
 * ({@link io.berth.engine.network.ContainerNetworking}) and the face over them
 * ({@link io.berth.engine.network.NetworkManager}).
 */
package io.berth.engine.network;
