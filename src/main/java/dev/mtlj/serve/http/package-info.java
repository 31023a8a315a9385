/** API. The Open Inference Protocol (KServe v2) over HTTP: {@link dev.mtlj.serve.http.InferenceServer}. */
package dev.mtlj.serve.http;
