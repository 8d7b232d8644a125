package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.engine.image.LayerStager;
import io.berth.engine.image.StagedLayer;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * The daemon's layer downloads, as moby's download manager: at most {@code maxConcurrent} at once (the others report
 * "Waiting"), one download per blob however many pulls want it (each of them sees its progress), each unpacked into
 * a staging directory while it streams in ({@link LayerStager#stage}). A pull {@linkplain #join joins} the download
 * of a layer and gets a {@link Ticket}; the first ticket to {@linkplain Ticket#claim claim} the staged files adopts
 * them, the others find the snapshot made or unpack the stored blob; files nobody adopts are deleted when the last
 * ticket is released.
 */
final class LayerDownloads {
    private final LayerStager stager;
    private final Semaphore slots;
    private final RetryPolicy retry;
    private final LongSupplier nanoClock;
    private final Map<Digest, Flight> flights = new HashMap<>();

    LayerDownloads(LayerStager stager, int maxConcurrent, RetryPolicy retry, LongSupplier nanoClock) {
        this.stager = stager;
        this.slots = new Semaphore(Math.max(1, maxConcurrent), true);
        this.retry = retry;
        this.nanoClock = nanoClock;
    }

    /** Starts (or joins) the download of {@code blob} from {@code session}, its progress going to {@code progress} too. */
    Ticket join(RepositorySession session, Descriptor blob, ProgressSink progress) {
        Digest digest = blob.digestValue();
        Flight flight;
        boolean start = false;
        synchronized (flights) {
            flight = flights.get(digest);
            if (flight == null || flight.result.isCompletedExceptionally()) {
                flight = new Flight(digest);
                flights.put(digest, flight);
                start = true;
            }
            flight.users++;
            flight.watchers.add(progress);
        }
        if (start) {
            Flight f = flight;
            Thread.ofVirtual().name("pull-" + digest.shortHex()).start(() -> run(f, session, blob));
        }
        return new Ticket(flight, progress);
    }

    private void run(Flight flight, RepositorySession session, Descriptor blob) {
        String id = blob.digestValue().shortHex();
        ProgressSink out = flight::broadcast;
        try {
            if (!slots.tryAcquire()) {
                out.send(JsonMessage.update(id, "Waiting"));
                slots.acquire();
            }
            try {
                ProgressMeter meter = new ProgressMeter(out, id, "Downloading", blob.size(), 0, nanoClock);
                try (BlobStream in = new BlobStream(session, blob, retry, id, out, meter,
                        () -> out.send(JsonMessage.update(id, "Verifying Checksum")))) {
                    StagedLayer staged = stager.stage(in, blob);
                    out.send(JsonMessage.update(id, "Download complete"));
                    flight.result.complete(staged);
                }
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            flight.result.completeExceptionally(new InterruptedIOException("download of " + blob.digest() + " interrupted"));
        } catch (Throwable t) {
            flight.result.completeExceptionally(t);
        }
    }

    /** One download, shared by the pulls that need it. */
    private final class Flight {
        private final Digest digest;
        private final CompletableFuture<StagedLayer> result = new CompletableFuture<>();
        private final List<ProgressSink> watchers = new CopyOnWriteArrayList<>();
        private int users;
        private boolean claimed;

        Flight(Digest digest) { this.digest = digest; }

        void broadcast(JsonMessage m) {
            for (ProgressSink w : watchers) {
                try {
                    w.send(m);
                } catch (RuntimeException gone) {
                    watchers.remove(w); // that client went away; the others still want the layer
                }
            }
        }

        void release(ProgressSink watcher) {
            boolean last;
            synchronized (flights) {
                watchers.remove(watcher);
                last = --users == 0;
                if (last) flights.remove(digest, this);
            }
            if (last) {
                result.thenAccept(staged -> {
                    synchronized (this) {
                        if (claimed) return;
                        claimed = true;
                    }
                    staged.discard();
                });
            }
        }

        synchronized StagedLayer claim() {
            if (claimed) return null;
            claimed = true;
            return result.join();
        }
    }

    /** A pull's share of one download; release it when done. */
    final class Ticket implements AutoCloseable {
        private final Flight flight;
        private final ProgressSink watcher;
        private boolean released;

        private Ticket(Flight flight, ProgressSink watcher) {
            this.flight = flight;
            this.watcher = watcher;
        }

        /** Waits for the download; its failure is rethrown as it was. */
        StagedLayer await() throws IOException {
            try {
                return flight.result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pull interrupted");
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) throw io;
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new UncheckedIOException(new IOException(cause));
            }
        }

        /** The staged files, to adopt; null when another pull took them. Call after {@link #await}. */
        StagedLayer claim() { return flight.claim(); }

        @Override public void close() {
            if (released) return;
            released = true;
            flight.release(watcher);
        }
    }
}
