/**
 * Docker's networking over the bridge driver, one job per class: the records ({@link
 * io.berth.engine.network.NetworkStore}), IPAM ({@link io.berth.engine.network.Ipam}), new records
 * ({@link io.berth.engine.network.NetworkDefinitions}), bridges and Berth's iptables chains
 * ({@link io.berth.engine.network.Bridges}, {@link io.berth.engine.network.Firewall}), containers'
 * attachments and their kernel plumbing ({@link io.berth.engine.network.Attachments},
 * {@link io.berth.engine.network.Plumbing}), published ports ({@link io.berth.engine.network.PortSpecs},
 * {@link io.berth.engine.network.PortPublisher}, {@link io.berth.engine.network.PortProxy}), the embedded
 * DNS of user-defined networks ({@link io.berth.engine.network.NetworkDns}), the views
 * ({@link io.berth.engine.network.NetworkViews}), the hooks the container lifecycle calls
 * ({@link io.berth.engine.network.ContainerNetworking}) and the face over them
 * ({@link io.berth.engine.network.NetworkManager}).
 */
package io.berth.engine.network;
