package io.berth.server.api;

import io.berth.api.errors.BerthException;
import io.berth.http.Handler;
import io.berth.http.Router;
import java.util.List;

/**
 * The swarm endpoints, answered as dockerd answers them on a node that is in no swarm: Berth never forms a cluster of
 * its own (more than one machine is Kubernetes' job), so there is no swarm to manage. {@code /swarm},
 * {@code /nodes}, {@code /services}, {@code /tasks}, {@code /secrets} and {@code /configs} are 503 "This node is not a
 * swarm manager…", leaving is 503 "This node is not part of a swarm" (clients such as docker-py's tests leave a swarm
 * they never joined, and expect exactly that), and creating or joining one is 501: not something Berth does.
 */
public final class SwarmRouter implements Router.Routes {
    static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" "
            + "to connect this node to swarm and try again.";
    static final String NOT_IN_A_SWARM = "This node is not part of a swarm";
    private static final List<String> MANAGED = List.of("/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE");

    @Override public void register(Router.Builder r) {
        Handler notInASwarm = (req, res) -> { throw new BerthException.Unavailable(NOT_IN_A_SWARM, null); };
        Handler notSupported = (req, res) -> {
            throw new BerthException.NotImplemented("Berth does not run swarm mode: more than one machine is Kubernetes' job");
        };
        Handler notAManager = (req, res) -> { throw new BerthException.Unavailable(NOT_A_MANAGER, null); };
        r.post("/swarm/leave", notInASwarm);
        for (String p : List.of("/swarm/init", "/swarm/join")) r.post(p, notSupported);
        for (String base : MANAGED) {
            for (String m : METHODS) {
                r.route(m, base, notAManager);
                r.route(m, base + "/{rest:.+}", notAManager);
            }
        }
    }
}
