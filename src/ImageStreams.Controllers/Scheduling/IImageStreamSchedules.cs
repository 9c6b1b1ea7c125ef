using ImageStreams.Model.Image;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>Reads the schedule of a stream (the <c>schedule</c> subresource).</summary>
public interface IImageStreamSchedules
{
    /// <summary>The schedule of the stream's tags; an empty list for a stream with no scheduled tag.</summary>
    ImageStreamSchedule Get(string ns, string name);
}
