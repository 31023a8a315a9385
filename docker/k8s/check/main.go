// Command check decodes every manifest in docker/k8s strictly into the official Go types: Kubernetes' own
// (k8s.io/api) and the training operator's PyTorchJob (github.com/kubeflow/training-operator, the types its CRD is
// generated from). An unknown or misspelt field, a wrong type or a duplicate key is an error naming the file and
// object. It also prints the PyTorchJob fields the operator's CRD allows above the pod templates, to recheck the
// hand list in src/test/java/dev/mtlj/docs/ManifestsTest.java (which runs in CI without Go or network).
//
//	cd docker/k8s/check && go run . ..        (docker/check-manifests does this)
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	kubeflowv1 "github.com/kubeflow/training-operator/pkg/apis/kubeflow.org/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// types maps "apiVersion kind" to a constructor of the Go type that object must decode into.
var types = map[string]func() any{
	"apps/v1 Deployment":                     func() any { return &appsv1.Deployment{} },
	"v1 Service":                             func() any { return &corev1.Service{} },
	"v1 ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1 PersistentVolumeClaim":               func() any { return &corev1.PersistentVolumeClaim{} },
	"autoscaling/v2 HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"kubeflow.org/v1 PyTorchJob":             func() any { return &kubeflowv1.PyTorchJob{} },
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	dir := ".."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	sort.Strings(files)
	failed, checked := 0, 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
			os.Exit(2)
		}
		for _, doc := range bytes.Split(raw, []byte("\n---")) {
			if len(bytes.TrimSpace(stripComments(doc))) == 0 {
				continue
			}
			var h header
			if err := yaml.Unmarshal(doc, &h); err != nil {
				fmt.Printf("FAIL %s: not YAML: %v\n", filepath.Base(f), err)
				failed++
				continue
			}
			key := h.APIVersion + " " + h.Kind
			where := fmt.Sprintf("%s %s %s", filepath.Base(f), key, h.Metadata.Name)
			mk, ok := types[key]
			if !ok {
				fmt.Printf("FAIL %s: no checked type for %s\n", where, key)
				failed++
				continue
			}
			obj := mk()
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				fmt.Printf("FAIL %s: %v\n", where, err)
				failed++
				continue
			}
			if job, ok := obj.(*kubeflowv1.PyTorchJob); ok {
				for role := range job.Spec.PyTorchReplicaSpecs {
					if role != kubeflowv1.PyTorchJobReplicaTypeMaster && role != kubeflowv1.PyTorchJobReplicaTypeWorker {
						fmt.Printf("FAIL %s: replica type %s is neither Master nor Worker\n", where, role)
						failed++
					}
				}
			}
			fmt.Printf("ok   %s (strict decode into %T)\n", where, obj)
			checked++
		}
	}
	crd()
	fmt.Printf("%d manifests decoded strictly, %d failed\n", checked, failed)
	if failed > 0 || checked == 0 {
		os.Exit(1)
	}
}

// stripComments drops YAML comment lines, to tell an empty document from a commented one.
func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// crd prints the property names the operator's PyTorchJob CRD allows at the levels ManifestsTest lists by hand.
func crd() {
	path := os.Getenv("PYTORCHJOB_CRD")
	if path == "" {
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "PYTORCHJOB_CRD %s: %v\n", path, err)
		os.Exit(2)
	}
	var c struct {
		Spec struct {
			Versions []struct {
				Name   string `json:"name"`
				Schema struct {
					OpenAPIV3Schema schema `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		fmt.Fprintf(os.Stderr, "PYTORCHJOB_CRD %s: %v\n", path, err)
		os.Exit(2)
	}
	for _, v := range c.Spec.Versions {
		root := v.Schema.OpenAPIV3Schema
		spec := root.Properties["spec"]
		levels := []struct {
			name string
			s    schema
		}{
			{"(top)", root},
			{"spec", spec},
			{"spec.runPolicy", spec.Properties["runPolicy"]},
			{"spec.pytorchReplicaSpecs.*", deref(spec.Properties["pytorchReplicaSpecs"].AdditionalProperties)},
		}
		for _, l := range levels {
			fmt.Printf("CRD %s %s: %s\n", v.Name, l.name, strings.Join(l.s.names(), ", "))
		}
	}
}

type schema struct {
	Properties           map[string]schema `json:"properties"`
	AdditionalProperties *schema           `json:"additionalProperties"`
}

// UnmarshalJSON accepts additionalProperties: true|false as an empty schema.
func (s *schema) UnmarshalJSON(b []byte) error {
	if string(b) == "true" || string(b) == "false" {
		return nil
	}
	type plain schema
	return yaml.Unmarshal(b, (*plain)(s))
}

func deref(s *schema) schema {
	if s == nil {
		return schema{}
	}
	return *s
}

func (s schema) names() []string {
	var n []string
	for k := range s.Properties {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}
