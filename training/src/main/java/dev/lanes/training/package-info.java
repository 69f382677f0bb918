/**
 * The reference trainer's core: a dense training {@link dev.lanes.training.Tensor}, the
 * {@link dev.lanes.training.Backend} interface the layers are written in and its pure-Java
 * {@link dev.lanes.training.CpuBackend}, the {@link dev.lanes.training.Layer}s with forward and
 * backward passes, the softmax cross-entropy loss and the model builders in
 * {@link dev.lanes.training.Models}.
 *
 * <p>This module depends on {@code formats} only. It must not use {@code runtime} or
 * {@code compiler}: it is an independent implementation, so that when a model it trained and
 * the runtime agree, the agreement checks both.
 *
 * <p>A training step, with the optimizer written out as plain SGD:
 * <pre>{@code
 * Sequential model = Models.lenetBn(backend, seed);
 * SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(backend);
 * model.parameters().forEach(Parameter::zeroGrad);
 * double value = loss.forward(model.forward(images), labels);
 * model.backwardParametersOnly(loss.backward());
 * for (Parameter p : model.parameters()) { ... p.value() -= lr * p.grad() ... }
 * }</pre>
 */
package dev.lanes.training;
