package vn.isodientu.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch for the tests: 127.0.0.1 on a port the system picks, the HTTP
 * transport and the common analysis (asciifolding, edge n-grams) as classpath plugins.
 *
 * <p>Usage: {@code java -cp ... vn.isodientu.engine.EngineNode HOME PORT_FILE}. Once the node
 * answers, its HTTP port is written to PORT_FILE; SIGTERM closes the node.
 */
public final class EngineNode extends Node {

    private EngineNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EngineNode HOME PORT_FILE");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path portFile = Path.of(args[1]).toAbsolutePath();
        Settings settings = Settings.builder()
            .put("cluster.name", "iso-test")
            .put("node.name", "iso-test")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", "0")
            .put("transport.port", "0")
            .put("discovery.type", "single-node")
            // A shared test machine: its disk may be fuller than OpenSearch's watermarks allow.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // An index must be created with its mapping, never implicitly by a write.
            .put("action.auto_create_index", false)
            .put("node.max_local_storage_nodes", 1)
            .build();
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "iso-test");
        EngineNode node = new EngineNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        TransportAddress address =
            node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, Integer.toString(address.getPort()), StandardCharsets.US_ASCII);
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("engine: http://" + address);
        stopped.await();
    }
}
