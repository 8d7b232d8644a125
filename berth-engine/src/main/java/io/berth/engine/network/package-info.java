/**
 * Docker's networking: network records and IPAM, the bridge driver's plumbing (bridges, veth pairs,
 * network namespaces through a few {@code ip} calls), firewall rules in Berth's own iptables chains,
 * the userland proxy for published ports and the embedded DNS server of user-defined networks.
 */
package io.berth.engine.network;
