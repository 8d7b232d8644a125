package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** IPv6 prefixes: parsing as Docker refuses bad ones, RFC 5952's short form, containment and overlap. No root. */
class Cidr6Test {
    @Test
    void parsesAndPrintsTheShortForm() {
        assertThat(Cidr6.parse("2001:389::/64")).hasToString("2001:389::/64");
        assertThat(Cidr6.parse("2001:0389:0000:0000:0000:0000:0000:0001/64")).as("host bits dropped").hasToString("2001:389::/64");
        assertThat(Cidr6.str(Cidr6.ip("2001:389:0:0:0:0:0:f00d"))).isEqualTo("2001:389::f00d");
        assertThat(Cidr6.str(Cidr6.ip("2001:db8:0:0:1:0:0:1"))).as("the first of two equal runs").isEqualTo("2001:db8::1:0:0:1");
        assertThat(Cidr6.str(Cidr6.ip("2001:db8:0:1:1:1:1:1"))).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Cidr6.str(BigInteger.ZERO)).isEqualTo("::");
        assertThat(Cidr6.str(Cidr6.ip("::1"))).isEqualTo("::1");
        assertThat(Cidr6.str(Cidr6.ip("fd00::"))).isEqualTo("fd00::");
        assertThat(Cidr6.bytes(Cidr6.ip("ff02::1"))).hasSize(16).startsWith((byte) 0xff, (byte) 0x02).endsWith((byte) 1);
    }

    @Test
    void refusesWhatIsNotAnIpv6Prefix() {
        for (String bad : new String[] {"2001:389::", "2001:389::/129", "2001:389::/x", "10.1.0.0/16", "2001:zz::/64", "host.example:1/64"}) {
            assertThatThrownBy(() -> Cidr6.parse(bad)).as(bad).isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("invalid CIDR address: " + bad);
        }
        assertThat(Cidr6.isIp("10.0.0.1")).isFalse();
        assertThat(Cidr6.isIp("example.com")).isFalse();
        assertThatThrownBy(() -> Cidr6.ip("1:2:3")).isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid IP address: 1:2:3");
    }

    @Test
    void containsAndOverlaps() {
        Cidr6 net = Cidr6.parse("2001:db8:1::/64");
        assertThat(net.contains(Cidr6.ip("2001:db8:1::ffff:1"))).isTrue();
        assertThat(net.contains(Cidr6.ip("2001:db8:2::1"))).isFalse();
        assertThat(net.overlaps(Cidr6.parse("2001:db8::/32"))).isTrue();
        assertThat(net.overlaps(Cidr6.parse("2001:db8:1::/96"))).isTrue();
        assertThat(net.overlaps(Cidr6.parse("2001:db8:2::/64"))).isFalse();
        assertThat(Cidr6.parse("2001:db8::/96").size()).isEqualTo(BigInteger.ONE.shiftLeft(32));
    }
}
