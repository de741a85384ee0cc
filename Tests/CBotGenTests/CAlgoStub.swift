/// A C# stub of exactly the cAlgo API surface a generated cBot may use (../shared/docs/calgo-api.md), so the tests
/// can compile every generated cBot with Mono's `mcs` without cTrader. Members throw: it is compiled, never run.
enum CAlgoStub {
    static let source = #"""
        using System;
        using System.Collections.Generic;

        namespace cAlgo.API
        {
            public enum AccessRights { None, FileSystem, Internet, Registry, FullAccess }

            public static class TimeZones
            {
                public const string UTC = "UTC";
                public const string EasternStandardTime = "Eastern Standard Time";
                public const string CentralEuropeStandardTime = "Central Europe Standard Time";
            }

            [AttributeUsage(AttributeTargets.Class)]
            public sealed class RobotAttribute : Attribute
            {
                public RobotAttribute() { }
                public string Name { get; set; }
                public string TimeZone { get; set; }
                public AccessRights AccessRights { get; set; }
                public bool AddIndicators { get; set; }
            }

            [AttributeUsage(AttributeTargets.Property)]
            public sealed class ParameterAttribute : Attribute
            {
                public ParameterAttribute() { }
                public ParameterAttribute(string name) { Name = name; }
                public string Name { get; set; }
                public object DefaultValue { get; set; }
                public object MinValue { get; set; }
                public object MaxValue { get; set; }
                public double Step { get; set; }
                public string Group { get; set; }
            }

            public enum TradeType { Buy, Sell }
            public enum MovingAverageType { Simple, Exponential, Weighted, Triangular, Hull }
            public enum ErrorCode { TechnicalError, BadVolume, NoMoney, MarketClosed, Disconnected, EntityNotFound, Timeout }

            public interface Position
            {
                TradeType TradeType { get; }
                double EntryPrice { get; }
                int Id { get; }
                string SymbolName { get; }
                double? StopLoss { get; }
                double? TakeProfit { get; }
                double Pips { get; }
                double VolumeInUnits { get; }
                double Quantity { get; }
                double GrossProfit { get; }
                double NetProfit { get; }
                string Label { get; }
                DateTime EntryTime { get; }
                TradeResult Close();
            }

            public class TradeResult
            {
                public bool IsSuccessful { get { throw new NotImplementedException(); } }
                public Position Position { get { throw new NotImplementedException(); } }
                public ErrorCode? Error { get { throw new NotImplementedException(); } }
            }

            public class PositionClosedEventArgs : EventArgs
            {
                public Position Position { get { throw new NotImplementedException(); } }
            }

            public interface Positions : IEnumerable<Position>
            {
                int Count { get; }
                Position Find(string label);
                Position Find(string label, string symbolName);
                Position Find(string label, string symbolName, TradeType tradeType);
                Position[] FindAll(string label);
                Position[] FindAll(string label, string symbolName);
                Position[] FindAll(string label, string symbolName, TradeType tradeType);
                event Action<PositionClosedEventArgs> Closed;
            }

            public interface DataSeries
            {
                double this[int index] { get; }
                double LastValue { get; }
                int Count { get; }
                double Last(int index);
            }

            public interface IndicatorDataSeries : DataSeries
            {
                new double this[int index] { get; set; }
            }

            public interface TimeSeries
            {
                DateTime this[int index] { get; }
                DateTime LastValue { get; }
                int Count { get; }
                DateTime Last(int index);
            }

            public static class Functions
            {
                public static bool HasCrossedAbove(this DataSeries series, DataSeries crossedSeries, int period) { throw new NotImplementedException(); }
                public static bool HasCrossedBelow(this DataSeries series, DataSeries crossedSeries, int period) { throw new NotImplementedException(); }
            }

            public interface IServer { DateTime Time { get; } }
            public interface IAccount { double Balance { get; } }
            public class GetFitnessArgs { public double NetProfit { get { throw new NotImplementedException(); } } }

            public abstract class Robot : cAlgo.API.Internals.Algo
            {
                protected virtual void OnStart() { }
                protected virtual void OnBar() { }
                protected virtual void OnBarClosed() { }
                protected virtual void OnTick() { }
                protected virtual void OnStop() { }
                protected virtual void OnTimer() { }
                protected virtual double GetFitness(GetFitnessArgs args) { throw new NotImplementedException(); }

                public Positions Positions { get { throw new NotImplementedException(); } }
                public TradeResult ExecuteMarketOrder(TradeType tradeType, string symbolName, double volume) { throw new NotImplementedException(); }
                public TradeResult ExecuteMarketOrder(TradeType tradeType, string symbolName, double volume, string label) { throw new NotImplementedException(); }
                public TradeResult ExecuteMarketOrder(TradeType tradeType, string symbolName, double volume, string label, double? stopLossPips, double? takeProfitPips) { throw new NotImplementedException(); }
                public TradeResult ExecuteMarketOrder(TradeType tradeType, string symbolName, double volume, string label, double? stopLossPips, double? takeProfitPips, string comment) { throw new NotImplementedException(); }
                public TradeResult ExecuteMarketOrder(TradeType tradeType, string symbolName, double volume, string label, double? stopLossPips, double? takeProfitPips, string comment, bool hasTrailingStop) { throw new NotImplementedException(); }
                public TradeResult ClosePosition(Position position) { throw new NotImplementedException(); }
            }
        }

        namespace cAlgo.API.Indicators
        {
            using cAlgo.API;

            public interface SimpleMovingAverage { IndicatorDataSeries Result { get; } }
            public interface ExponentialMovingAverage { IndicatorDataSeries Result { get; } }
            public interface MovingAverage { IndicatorDataSeries Result { get; } }
            public interface RelativeStrengthIndex { IndicatorDataSeries Result { get; } }
            public interface AverageTrueRange { IndicatorDataSeries Result { get; } }
            public interface BollingerBands
            {
                IndicatorDataSeries Top { get; }
                IndicatorDataSeries Main { get; }
                IndicatorDataSeries Bottom { get; }
            }
        }

        namespace cAlgo.API.Internals
        {
            using cAlgo.API;
            using cAlgo.API.Indicators;

            public interface Symbol
            {
                string Name { get; }
                double PipSize { get; }
                double TickSize { get; }
                int Digits { get; }
                double Bid { get; }
                double Ask { get; }
                double VolumeInUnitsMin { get; }
                double VolumeInUnitsMax { get; }
                double QuantityToVolumeInUnits(double quantity);
            }

            public interface Bars
            {
                DataSeries OpenPrices { get; }
                DataSeries HighPrices { get; }
                DataSeries LowPrices { get; }
                DataSeries ClosePrices { get; }
                TimeSeries OpenTimes { get; }
                int Count { get; }
            }

            public interface IIndicatorsAccessor
            {
                SimpleMovingAverage SimpleMovingAverage(DataSeries source, int periods);
                ExponentialMovingAverage ExponentialMovingAverage(DataSeries source, int periods);
                RelativeStrengthIndex RelativeStrengthIndex(DataSeries source, int periods);
                AverageTrueRange AverageTrueRange(int periods, MovingAverageType maType);
                BollingerBands BollingerBands(DataSeries source, int periods, double standardDeviations, MovingAverageType maType);
                MovingAverage MovingAverage(DataSeries source, int periods, MovingAverageType maType);
            }

            public abstract class Algo
            {
                public Symbol Symbol { get { throw new NotImplementedException(); } }
                public string SymbolName { get { throw new NotImplementedException(); } }
                public Bars Bars { get { throw new NotImplementedException(); } }
                public IServer Server { get { throw new NotImplementedException(); } }
                public IAccount Account { get { throw new NotImplementedException(); } }
                public IIndicatorsAccessor Indicators { get { throw new NotImplementedException(); } }
                public void Print(string message, params object[] parameters) { throw new NotImplementedException(); }
                public void Stop() { throw new NotImplementedException(); }
            }
        }
        """#
}
