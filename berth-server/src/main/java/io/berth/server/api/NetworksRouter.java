package io.berth.server.api;

import io.berth.api.Filters;
import io.berth.api.network.NetworkConnectRequest;
import io.berth.api.network.NetworkCreateRequest;
import io.berth.api.network.NetworkDisconnectRequest;
import io.berth.engine.service.NetworkService;
import io.berth.api.errors.BerthException;
import io.berth.http.Router;

/** The {@code /networks/…} routes of moby's network router, over {@link NetworkService}. */
public final class NetworksRouter implements Router.Routes {
    private final NetworkService networks;

    public NetworksRouter(NetworkService networks) { this.networks = networks; }

    @Override public void register(Router.Builder r) {
        r.get("/networks", (req, res) -> res.json(200, networks.list(Filters.parse(req.query("filters")))))
                .post("/networks/create", (req, res) -> {
                    NetworkCreateRequest body = req.json(NetworkCreateRequest.class);
                    if (body == null) throw new BerthException.InvalidArgument("invalid JSON: the request body is empty");
                    res.json(201, networks.create(body));
                })
                .post("/networks/prune", (req, res) -> res.json(200, networks.prune(Filters.parse(req.query("filters")))))
                .get("/networks/{id}", (req, res) -> res.json(200, networks.inspect(req.param("id"))))
                .delete("/networks/{id}", (req, res) -> {
                    networks.remove(req.param("id"));
                    res.empty(204);
                })
                .post("/networks/{id}/connect", (req, res) -> {
                    NetworkConnectRequest body = req.json(NetworkConnectRequest.class);
                    if (body == null || body.container() == null) throw new BerthException.InvalidArgument("no container specified");
                    networks.connect(req.param("id"), body.container(), body.endpointConfig());
                    res.empty(200);
                })
                .post("/networks/{id}/disconnect", (req, res) -> {
                    NetworkDisconnectRequest body = req.json(NetworkDisconnectRequest.class);
                    if (body == null || body.container() == null) throw new BerthException.InvalidArgument("no container specified");
                    networks.disconnect(req.param("id"), body.container(), Boolean.TRUE.equals(body.force()));
                    res.empty(200);
                });
    }

}
