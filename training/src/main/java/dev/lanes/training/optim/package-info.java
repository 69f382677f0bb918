/**
 * Optimizers, gradient clipping and learning-rate schedules over plain float arrays.
 *
 * <p>An {@link dev.lanes.training.optim.Optimizer} updates a fixed list of
 * {@link dev.lanes.training.optim.Param}s; {@link dev.lanes.training.optim.Sgd},
 * {@link dev.lanes.training.optim.Adam} and {@link dev.lanes.training.optim.AdamW} follow
 * PyTorch's update rules, so a recipe from the PyTorch tutorials means the same here. A typical
 * step: backward pass, {@link dev.lanes.training.optim.GradientClipping#clipByGlobalNorm},
 * {@link dev.lanes.training.optim.ScheduledOptimizer#step()} (which sets the rate of this step
 * from a {@link dev.lanes.training.optim.LearningRateSchedule} and steps), then
 * {@link dev.lanes.training.optim.Optimizer#zeroGrad()}.
 *
 * <p>Schedules count optimizer steps (mini-batches), from 0; wrap one in
 * {@link dev.lanes.training.optim.PerEpoch} to change the rate only between epochs. The
 * position in the schedule is the optimizer's step count, which its exported
 * {@link dev.lanes.training.optim.OptimizerState} carries, so a checkpoint restores both.
 */
package dev.lanes.training.optim;
