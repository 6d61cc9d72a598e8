{{/* Labels on every object: the recommended app.kubernetes.io set plus Helm's chart label. */}}
{{- define "fleetcast.labels" -}}
app.kubernetes.io/name: fleetcast
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The operator pods' selector; the same two labels as deploy/deployment.yaml. */}}
{{- define "fleetcast.selectorLabels" -}}
app.kubernetes.io/name: fleetcast
app.kubernetes.io/component: operator
{{- end }}

{{- define "fleetcast.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}
