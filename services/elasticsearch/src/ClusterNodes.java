import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs several Elasticsearch 7.10.2 nodes in one JVM, bound to loopback, for
 * the cluster tests. Arguments: data directory, first HTTP port, number of
 * nodes, cluster name. Node i (0-based) answers HTTP on first port + i and
 * talks transport on first port + 100 + i.
 *
 * Control channel, one command a line on stdin, one answer a line on stdout:
 *   stop I   closes node I        -> "stopped I"
 *   start I  starts node I again  -> "started I"
 *   quit     closes every node and exits
 * End of stdin means quit too, so the nodes die with the process that started them.
 */
public final class ClusterNodes {
    public static void main(String[] args) throws Exception {
        final String basePath = args[0];
        final int firstPort = Integer.parseInt(args[1]);
        final int nodes = Integer.parseInt(args[2]);
        final String clusterName = args.length > 3 ? args[3] : "assist-cluster-test";
        final StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            seeds.append(i == 0 ? "" : ",").append("127.0.0.1:").append(firstPort + 100 + i);
        }
        final String[] masters = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            masters[i] = "Node " + (i + 1); // the runner's node names
        }
        final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.onBuild((number, settings) -> {
            // the runner numbers its nodes from 1
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(firstPort + number - 1));
            settings.put("transport.port", String.valueOf(firstPort + 100 + number - 1));
            settings.putList("discovery.seed_hosts", seeds.toString().split(","));
            settings.putList("cluster.initial_master_nodes", masters);
            // Node.start() otherwise waits up to 30 s for the first node to join a cluster,
            // which it cannot form before the second one starts: ensureYellow waits instead.
            settings.put("discovery.initial_state_timeout", "0s");
            settings.put("action.auto_create_index", "true");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        }).build(ElasticsearchClusterRunner.newConfigs()
                .basePath(basePath)
                .numOfNode(nodes)
                .baseHttpPort(firstPort - 1)
                .clusterName(clusterName)
                .disableESLogger());
        runner.ensureYellow();
        System.out.println("ready " + nodes);
        System.out.flush();
        final BufferedReader input = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = input.readLine()) != null) {
            final String[] words = line.trim().split("\\s+");
            try {
                if (words[0].equals("quit")) {
                    break;
                } else if (words[0].equals("stop") && words.length == 2) {
                    final int index = Integer.parseInt(words[1]);
                    runner.getNode(index).close();
                    System.out.println("stopped " + index);
                } else if (words[0].equals("start") && words.length == 2) {
                    final int index = Integer.parseInt(words[1]);
                    final boolean started = runner.startNode(index);
                    System.out.println((started ? "started " : "not-started ") + index);
                } else {
                    System.out.println("error unknown command: " + line);
                }
            } catch (Exception e) {
                System.out.println("error " + e);
            }
            System.out.flush();
        }
        runner.close();
        System.out.println("closed");
        System.out.flush();
    }
}
