/*
 * bench/ServeRegistry.java: runs berth-registry's RegistryServer in the foreground, for builds whose CLI has no
 * `berth registry serve` yet. java -cp CLASSPATH bench/ServeRegistry.java HOST:PORT ROOT
 */

import io.berth.registry.RegistryConfig;
import io.berth.registry.RegistryServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;

final class ServeRegistry {
    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        RegistryServer server = new RegistryServer(RegistryConfig.of(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), Path.of(args[1])));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
