import Foundation

/// The kubeconfig a client needs for the virtual cluster: HTTPS server, CA data, bearer token.
enum Kubeconfig {
    static func text(server: String, caPEM: String, token: String, namespace: String) -> String {
        let caData = Data(caPEM.utf8).base64EncodedString()
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fleetcast-virtual-cluster
          cluster:
            server: \(server)
            certificate-authority-data: \(caData)
        users:
        - name: fleetcast-admin
          user:
            token: \(token)
        contexts:
        - name: fleetcast-virtual-cluster
          context:
            cluster: fleetcast-virtual-cluster
            user: fleetcast-admin
            namespace: \(namespace)
        current-context: fleetcast-virtual-cluster

        """
    }
}
